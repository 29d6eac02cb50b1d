package org.countersign.launcher;

import static org.countersign.launcher.Suite.DOMAIN;
import static org.countersign.launcher.Suite.HTTP;
import static org.countersign.launcher.Suite.JSON;
import static org.countersign.launcher.Suite.awaitTrue;
import static org.countersign.launcher.Suite.dataDir;
import static org.countersign.launcher.Suite.home;
import static org.countersign.launcher.Suite.licence;
import static org.countersign.launcher.Suite.port;
import static org.countersign.launcher.Suite.register;
import static org.countersign.launcher.Suite.send;
import static org.countersign.launcher.Suite.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.countersign.device.DeviceInput;
import org.countersign.device.DeviceSimulator;
import org.countersign.device.EnrolmentOptions;
import org.countersign.device.ProfileStore;
import org.countersign.stack.DevKeys;
import org.countersign.stack.DevTokens;
import org.countersign.stack.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The portal (issue 19) in a real browser: Debian's headless Chromium, driven through its chromedriver,
 * against the whole suite that SuiteIT uses. A person's steps: sign in with a simulated device's OTP,
 * activate a second device offline by pointing the device at the images on the page, rescan the first one
 * from a simulated phone, remove one; and what must go wrong readably: a typo, a wrong signature, a licence
 * used up, an expired activation, a throttled sign-in, a forged form, another domain's session. Every page a
 * test visits is saved as a PNG under target/portal-screenshots/.
 */
@ExtendWith(Suite.class)
@Order(3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalIT {

    private static final String OTHER_DOMAIN = Suite.OTHER_DOMAIN;
    private static final String NOT_A_PAGE = "Exception";
    private static WebDriver browser;
    private static DeviceSimulator devices;
    private static Path screenshots;
    private static String portal;
    private static String late;
    private static Process otherPortal;
    private static String pat1;
    private static String pat2;
    /** The last code typed from each device. */
    private static final Map<String, String> TYPED = new java.util.HashMap<>();
    private int shot;
    private String testName;

    @BeforeAll
    static void browserAndPeople() throws Exception {
        List<String> binaries = installChromium();
        screenshots = Path.of(System.getProperty("screenshots.dir", "target/portal-screenshots"));
        Files.createDirectories(screenshots);
        ChromeOptions options = new ChromeOptions().setBinary(binaries.get(0)).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--force-device-scale-factor=1", "--window-size=1000,1800",
                "--user-data-dir=" + Files.createTempDirectory(dataDir, "chromium-"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(binaries.get(1)))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        portal = "http://127.0.0.1:" + port("PORTAL");
        // Another browser profile's worth of cookies: the same portal under another host name.
        late = "http://localhost:" + port("PORTAL");
        devices = new DeviceSimulator(new ProfileStore(dataDir.resolve("device-portal/profiles.json")));

        // pat has an offline device (her first, activated by the bank) and a second licence to activate herself.
        pat1 = firstDevice(token, "pat", "PAT-1", "pat-1");
        licence("PAT-2", "hardware-offline");
        assign(token, "PAT-2", "pat");
        firstDevice(token, "quinn", "QUINN-1", "quinn-1");
        licence("QUINN-2", "hardware-offline");
        assign(token, "QUINN-2", "quinn");
        firstDevice(token, "sam", "SAM-1", "sam-1");
        // ruth's licence type lets a registration live one minute, the shortest a policy allows: she starts
        // activating now, and the last test finds it expired.
        assertEquals(200, send("REGISTRATION", "PUT", "/api/v1/policies/hardware-offline-short", "application/json",
                "{\"maxAuthenticatorsPerUser\":3,\"registrationLifetime\":\"PT1M\",\"activationTypes\":[\"offline\"]}").statusCode());
        firstDevice(token, "ruth", "RUTH-1", "ruth-1");
        licence("RUTH-2", "hardware-offline-short");
        assign(token, "RUTH-2", "ruth");
        browser.get(late + "/sign-in");
        signIn(late, "ruth", "ruth-1");
        browser.get(late + "/activate");
        choose("RUTH-2", "offline");
        assertTrue(browser.getCurrentUrl().endsWith("/activate/current"), browser.getCurrentUrl());
    }

    @AfterAll
    static void close() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (otherPortal != null) {
            otherPortal.destroy();
            otherPortal.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** On a failure, the page as it was, for whoever reads the build's output. */
    @org.junit.jupiter.api.extension.RegisterExtension
    final org.junit.jupiter.api.extension.TestWatcher failures = new org.junit.jupiter.api.extension.TestWatcher() {
        @Override
        public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
            try {
                screenshot("failed");
                Files.writeString(screenshots.resolve(testName).resolve("failed.html"), browser.getCurrentUrl() + "\n"
                        + browser.getPageSource());
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    };

    @org.junit.jupiter.api.BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
        shot = 0;
    }

    @Test
    @Order(1)
    void signIn_withTheDevicesOtp_listsTheDevice_cookieRotatedHttpOnlyStrict() throws Exception {
        browser.get(portal + "/");
        assertTrue(browser.getCurrentUrl().endsWith("/sign-in"), "a browser without a session is sent to sign in");
        screenshot("sign-in");
        Cookie before = browser.manage().getCookieNamed("countersign-portal");
        assertTrue(before != null && before.isHttpOnly() && "Strict".equals(before.getSameSite()) && !before.isSecure(),
                "the cookie is HttpOnly, SameSite=Strict, not Secure over plain HTTP: " + before);
        assertTrue(browser.findElement(By.cssSelector("label[for=userId]")).isDisplayed()
                && browser.findElement(By.cssSelector("label[for=code]")).isDisplayed(), "every field has its label");

        signIn(portal, "pat", "pat-1");
        screenshot("my-devices");
        Cookie after = browser.manage().getCookieNamed("countersign-portal");
        assertNotEquals(before.getValue(), after.getValue(), "the cookie is a new one after sign-in");
        assertTrue(after.isHttpOnly() && "Strict".equals(after.getSameSite()), after.toString());
        assertTrue(main().contains("PAT-1") && main().contains("Offline device"), main());
        assertTrue(browser.findElement(By.tagName("header")).getText().contains("Signed in as pat"));

        // On a phone's screen the page fits its width: nothing to scroll sideways.
        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("my-devices-on-a-phone");
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth;"), "no sideways scrolling at 390 px");
        browser.manage().window().setSize(new Dimension(1000, 1800));

        // Over TLS (as the gateway tells it), the cookie is Secure and host-only by its name's prefix.
        HttpResponse<String> tls = HTTP.send(HttpRequest.newBuilder(URI.create(portal + "/sign-in"))
                .header("X-Forwarded-Proto", "https").build(), HttpResponse.BodyHandlers.ofString());
        String setCookie = tls.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(setCookie.startsWith("__Host-countersign-portal=") && setCookie.contains("Secure")
                && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
    }

    @Test
    @Order(2)
    void secondDeviceActivatedOffline_byReadingTheImagesOffThePage_typoAndWrongSignatureSaidPlainly() throws Exception {
        browser.get(portal + "/activate");
        screenshot("choose");
        choose("PAT-2", "offline");
        screenshot("step-1");
        String deviceCode = devices.scanActivation(imageOnPage(), "pat-2");

        type("deviceCode", typo(deviceCode));
        screenshot("typo");
        assertTrue(error().contains("typo"), error());
        assertTrue(browser.findElements(By.id("activation-image")).size() == 1, "the code is shown again after a typo");

        type("deviceCode", deviceCode);
        screenshot("step-2");
        assertTrue(main().contains("step 2 of 2"), main());
        String signature = devices.completeActivation(imageOnPage(), "pat-2");
        type("signature", signature.equals("12345678") ? "87654321" : "12345678");
        screenshot("wrong-signature");
        assertTrue(error().contains("signature is wrong") && error().contains("attempts left"), error());

        type("signature", signature);
        screenshot("activated");
        assertTrue(browser.getCurrentUrl().endsWith("/devices"), browser.getCurrentUrl());
        assertTrue(main().contains("PAT-2 is activated"), main());
        assertTrue(main().contains("PAT-1") && main().contains("PAT-2"), "both devices are listed: " + main());
        pat2 = JSON.readTree(send("PROVISIONING", "GET", "/api/v1/instances?userId=pat", null, null).body()).findValuesAsText("instanceId")
                .stream().filter(id -> !id.equals(pat1)).findFirst().orElseThrow();
        awaitTrue(() -> otpAccepted("pat", devices.otp("pat-2", Instant.now())), "the new device's OTP logs pat in");
    }

    @Test
    @Order(3)
    void offlineDeviceRescanned_confirmedFromASimulatedPhone_pageMovesOnByItself() throws Exception {
        browser.get(portal + "/devices");
        navigates(() -> browser.findElement(By.cssSelector("#device-" + pat1 + " form[action$='/rescan'] button")).click());
        // The code appears once the provisioning-service can take it (the page says it is preparing until then).
        awaitTrue(() -> !browser.findElements(By.id("activation-image")).isEmpty(), "the page shows the rescan code");
        screenshot("rescan-code");
        assertTrue(browser.findElement(By.id("waiting")).getText().contains("Waiting for your phone"), main());
        devices.migrate(imageOnPage(), "pat-1", new EnrolmentOptions("android", null, "Pat's phone", true));

        awaitTrue(() -> browser.getCurrentUrl().endsWith("/devices"), "the page moves on once the phone has confirmed");
        screenshot("rescanned");
        String row = browser.findElement(By.id("device-" + pat1)).getText();
        assertTrue(main().contains("PAT-1 is now on your phone"), main());
        assertTrue(row.contains("Online device (moved from offline)") && row.contains("Android") && row.contains("Pat's phone")
                && row.contains("Last sync"), row);
        assertTrue(browser.findElements(By.cssSelector("#device-" + pat1 + " form[action$='/rescan']")).isEmpty(),
                "an online device has no Rescan Device");
    }

    @Test
    @Order(4)
    void pendingPushRequest_shownWithItsMessageAndNumber_pageUpdatesByItself() throws Exception {
        String app = DevTokens.mint(DevKeys.in(dataDir.resolve("keys")).privateKey(), "bank-app", DOMAIN, List.of("push", "push-admin"),
                Duration.ofMinutes(30));
        awaitTrue(() -> send(app, "PUSH", "GET", "/api/v1/devices?userId=pat", null, null).body().contains(pat1),
                "the push-service learns pat's phone from the migration");
        assertEquals(200, send(app, "PUSH", "PUT", "/api/v1/push/users/pat", "application/json", "{\"enabled\":true}").statusCode());
        browser.get(portal + "/devices");
        screenshot("nothing-waiting");
        assertTrue(browser.findElements(By.id("approvals-heading")).isEmpty(), "nothing waits yet: " + main());

        // The bank's login page asks pat's phone; the page open in the portal shows it without being reloaded by hand.
        HttpResponse<String> created = send(app, "PUSH", "POST", "/api/v1/push/requests", "application/json", "{\"userId\":\"pat\","
                + "\"message\":\"Sign in to <Example Bank>\",\"fields\":[{\"name\":\"Browser\",\"value\":\"Firefox on Linux\"}],"
                + "\"ttlSeconds\":15}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode request = JSON.readTree(created.body());
        String number = request.get("displayNumber").asText();
        String item = "approval-" + request.get("requestId").asText();
        awaitTrue(() -> !browser.findElements(By.id(item)).isEmpty(), "the open page shows the request by itself");
        screenshot("waiting-for-approval");
        WebElement approval = browser.findElement(By.id(item));
        // The message as the app wrote it: text, never markup.
        assertEquals("Sign in to <Example Bank>", approval.findElement(By.className("message")).getText());
        assertTrue(approval.getText().contains("Browser") && approval.getText().contains("Firefox on Linux"), approval.getText());
        assertEquals(number, approval.findElement(By.className("number")).getText(), "the number to pick on the phone");
        assertTrue(browser.findElement(By.id("approvals-heading")).getText().contains("Waiting for your approval"));
        assertTrue(main().contains("Approve only what you started yourself"), main());

        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("waiting-on-a-phone");
        assertTrue(browser.findElement(By.id(item)).findElement(By.className("number")).isDisplayed());
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth;"), "no sideways scrolling at 390 px");
        browser.manage().window().setSize(new Dimension(1000, 1800));

        // Once it is over (here: nobody answered in time), it leaves the page by itself.
        awaitTrue(() -> browser.findElements(By.id(item)).isEmpty(), "the page drops the request once it expired");
        screenshot("expired-gone");
    }

    @Test
    @Order(5)
    void deviceRemoved_onlyAfterConfirmation() throws Exception {
        browser.get(portal + "/devices");
        navigates(() -> browser.findElement(By.cssSelector("#device-" + pat2 + " a[href$='/remove']")).click());
        screenshot("confirm");
        assertTrue(main().contains("Remove device PAT-2?"), main());
        navigates(() -> browser.findElement(By.linkText("No, keep it")).click());
        assertTrue(main().contains("PAT-2"), "keeping it changes nothing");
        assertEquals("active", instanceStatus(pat2));

        navigates(() -> browser.findElement(By.cssSelector("#device-" + pat2 + " a[href$='/remove']")).click());
        navigates(() -> browser.findElement(By.xpath("//button[normalize-space()='Yes, remove it']")).click());
        screenshot("removed");
        assertTrue(main().contains("PAT-2 is removed"), main());
        assertTrue(browser.findElements(By.id("device-" + pat2)).isEmpty(), "the removed device is no longer listed");
        assertEquals("revoked", instanceStatus(pat2));
    }

    @Test
    @Order(6)
    void forgedOrMissingCsrfToken_refused_nothingChanged() throws Exception {
        browser.get(portal + "/devices/" + pat1 + "/remove");
        ((JavascriptExecutor) browser).executeScript(
                "document.querySelectorAll('input[name=_csrf]').forEach(function (e) { e.value = 'forged'; });");
        navigates(() -> browser.findElement(By.xpath("//button[normalize-space()='Yes, remove it']")).click());
        screenshot("forged-form");
        assertTrue(main().contains("This form has expired") && main().contains("Nothing was changed"), main());
        assertFalse(browser.getPageSource().contains(NOT_A_PAGE), "no stack trace on the page");
        assertEquals("active", instanceStatus(pat1));

        // The same form sent by something that has the cookie but not the page (no token at all).
        String cookie = "countersign-portal=" + browser.manage().getCookieNamed("countersign-portal").getValue();
        HttpResponse<String> noToken = HTTP.send(HttpRequest.newBuilder(URI.create(portal + "/devices/" + pat1 + "/remove"))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, noToken.statusCode());
        assertTrue(noToken.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), "a page, never problem+json");
        assertEquals("active", instanceStatus(pat1));
        browser.get(portal + "/devices");
        assertTrue(main().contains("PAT-1"), "the device is still there");
    }

    @Test
    @Order(7)
    void licenceUsedUpMeanwhile_saidPlainly() throws Exception {
        newVisitor(portal);
        signIn(portal, "quinn", "quinn-1");
        browser.get(portal + "/activate");
        screenshot("choose");
        // While the page is open, the bank's helpdesk starts an activation of that licence: its one activation is taken.
        register("{\"userId\":\"quinn\",\"serialNumber\":\"QUINN-2\",\"activationType\":\"offline\"}");
        choose("QUINN-2", "offline");
        screenshot("licence-limit");
        assertTrue(error().contains("licence activation limit reached"), error());
        assertFalse(browser.getPageSource().contains("countersign.org/problems") || browser.getPageSource().contains(NOT_A_PAGE),
                "no problem+json, no stack trace");
    }

    @Test
    @Order(8)
    void signIn_throttledByTheOtpService_saidPlainly() throws Exception {
        newVisitor(portal);
        awaitTrue(() -> credentialArrived("sam"), "sam's credential reached the otp-service");
        String right = devices.otp("sam-1", Instant.now());
        String wrong = right.equals("000000") ? "111111" : "000000";
        String said = "";
        for (int attempt = 1; attempt <= 6 && !said.contains("locked"); attempt++) {
            browser.get(portal + "/sign-in");
            typeSignIn("sam", wrong);
            said = error();
        }
        screenshot("locked");
        assertTrue(said.contains("Too many wrong codes") && said.contains("locked"), said);
        browser.get(portal + "/sign-in");
        typeSignIn("sam", devices.otp("sam-1", Instant.now()));
        screenshot("right-code-while-locked");
        assertTrue(error().contains("locked"), "even the right code waits for the lock: " + error());
        assertTrue(browser.getCurrentUrl().endsWith("/sign-in"), browser.getCurrentUrl());
    }

    @Test
    @Order(9)
    void activationLeftOpenTooLong_expired_saidPlainly() throws Exception {
        browser.get(late + "/activate/current");
        screenshot("still-open");
        awaitTrue(() -> {
            browser.get(late + "/activate/current");
            return main().contains("expired");
        }, "the page says the activation expired");
        screenshot("expired");
        assertTrue(error().contains("This activation has expired"), error());
        assertTrue(browser.findElements(By.id("activation-image")).isEmpty(), "an expired code is not shown");
        assertFalse(browser.findElements(By.xpath("//button[normalize-space()='Start again']")).isEmpty());
    }

    @Test
    @Order(10)
    void anotherDomainsSession_isNoSession_andOnlyOwnDevicesAreSeen() throws Exception {
        String otherToken = DevTokens.mint(DevKeys.in(dataDir.resolve("keys")).privateKey(), "other-bank", OTHER_DOMAIN,
                List.of("registration", "provisioning"), Duration.ofMinutes(30));
        firstDevice(otherToken, "pat", "OTHER-PAT-1", "other-pat-1");
        int port = startOtherPortal();
        String other = "http://localhost:" + port;

        // pat of bank.example signs in here; her cookie, presented to other.example's portal, is no session there.
        newVisitor(portal);
        signIn(portal, "pat", "pat-1");
        assertFalse(serials().contains("OTHER-PAT-1"), "another domain's pat is another user");
        String bank = "countersign-portal=" + browser.manage().getCookieNamed("countersign-portal").getValue();
        for (String page : List.of("/", "/devices", "/activate", "/devices/" + pat1 + "/remove")) {
            HttpResponse<String> foreign = HTTP.send(HttpRequest.newBuilder(URI.create(other + page)).header("Cookie", bank).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(303, foreign.statusCode(), page);
            assertEquals("/sign-in", foreign.headers().firstValue("Location").orElse(""), page);
        }

        // pat of other.example sees her device only, and the list shows although its push-service is unreachable.
        browser.get(other + "/sign-in");
        screenshot("other-domain");
        signIn(other, "pat", "other-pat-1");
        screenshot("other-domain-devices");
        assertEquals(List.of("OTHER-PAT-1"), serials());
        assertTrue(browser.findElement(By.id("push-unavailable")).isDisplayed(), "says last sync is not available");

        // A device of another user or domain, named in the address, is no device at all.
        browser.get(other + "/devices/" + pat1 + "/remove");
        screenshot("not-yours");
        assertTrue(main().contains("No such device"), main());
        assertEquals("active", instanceStatus(pat1));
        browser.get(other + "/no-such-page");
        assertTrue(main().contains("Page not found") && !browser.getPageSource().contains(NOT_A_PAGE), main());
    }

    // ---- the person's steps

    /**
     * Signs in with the device's current code, again until its credential has reached the otp-service (a user
     * without one is rejected and nothing is counted). A code is never typed twice: a replay would count.
     */
    private static void signIn(String base, String userId, String profile) throws Exception {
        awaitTrue(() -> {
            if (!browser.getCurrentUrl().endsWith("/sign-in")) {
                browser.get(base + "/sign-in");
            }
            String code = devices.otp(profile, Instant.now());
            if (code.equals(TYPED.get(profile))) {
                return false;
            }
            TYPED.put(profile, code);
            typeSignIn(userId, code);
            return browser.getCurrentUrl().endsWith("/devices");
        }, userId + " signs in with " + profile);
    }

    /**
     * A browser that has never been to {@code base}: its cookies there are dropped, then the sign-in page is
     * loaded afresh (a page loaded before would carry the old cookie's CSRF token, which is refused).
     */
    private static void newVisitor(String base) {
        browser.get(base + "/sign-in");
        browser.manage().deleteAllCookies();
        browser.get(base + "/sign-in");
    }

    /** With the keyboard alone: the user ID, Tab to the code, Enter. */
    private static void typeSignIn(String userId, String code) {
        WebElement user = browser.findElement(By.id("userId"));
        user.clear();
        user.sendKeys(userId, Keys.TAB);
        WebElement focused = browser.switchTo().activeElement();
        assertEquals("code", focused.getAttribute("id"), "Tab goes from the user ID to the code");
        navigates(() -> focused.sendKeys(code, Keys.ENTER));
    }

    /**
     * Does what sends a form, and returns once the browser shows the page that answered it: a click returns
     * before the navigation it starts has ended, and a page checked too early is the old one.
     */
    private static void navigates(Runnable action) {
        WebElement before = browser.findElement(By.tagName("html"));
        action.run();
        try {
            awaitTrue(() -> {
                try {
                    before.isEnabled();
                    return false;
                } catch (org.openqa.selenium.WebDriverException replaced) {
                    // Stale, or (Chrome, mid-navigation) "Node with given id does not belong to the document".
                    try {
                        return "complete".equals(((JavascriptExecutor) browser).executeScript("return document.readyState"));
                    } catch (org.openqa.selenium.WebDriverException stillLoading) {
                        return false;
                    }
                }
            }, "the browser shows the answer to the form");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Picks a licence and way of activating by the label's words, with the keyboard's space bar, and starts. */
    private static void choose(String serial, String how) {
        WebElement radio = browser.findElements(By.cssSelector("input[name=choice]")).stream()
                .filter(r -> r.getAttribute("value").startsWith(serial + "|") && r.getAttribute("value").endsWith("|" + how))
                .findFirst().orElseThrow(() -> new AssertionError("no choice " + serial + " " + how + ": " + main()));
        radio.sendKeys(" ");
        assertTrue(radio.isSelected(), "the space bar selects the choice");
        navigates(() -> browser.findElement(By.xpath("//button[normalize-space()='Start']")).click());
    }

    private static void type(String field, String value) {
        WebElement input = browser.findElement(By.id(field));
        assertFalse(browser.findElements(By.cssSelector("label[for=" + field + "]")).isEmpty(), field + " has a label");
        input.clear();
        input.sendKeys(value);
        navigates(input::submit);
    }

    /** What the device's camera sees: the code as the page shows it, screenshotted, saved and decoded. */
    private String imageOnPage() throws Exception {
        WebElement image = browser.findElement(By.id("activation-image"));
        Path file = screenshots.resolve(testName).resolve(String.format("%02d-camera.png", ++shot));
        Files.createDirectories(file.getParent());
        Files.write(file, image.getScreenshotAs(OutputType.BYTES));
        return DeviceInput.read(file.toString());
    }

    private void screenshot(String page) throws Exception {
        Path file = screenshots.resolve(testName).resolve(String.format("%02d-%s.png", ++shot, page));
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static List<String> serials() {
        return browser.findElements(By.cssSelector(".serial")).stream().map(WebElement::getText).toList();
    }

    private static String main() {
        return browser.findElement(By.tagName("main")).getText();
    }

    private static String error() {
        List<WebElement> alerts = browser.findElements(By.cssSelector("[role=alert]"));
        return alerts.isEmpty() ? "" : alerts.get(0).getText();
    }

    private static String typo(String deviceCode) {
        char last = deviceCode.charAt(deviceCode.length() - 1);
        return deviceCode.substring(0, deviceCode.length() - 1) + (last == '9' ? '0' : (char) (last + 1));
    }

    // ---- what the bank did before, through the APIs

    /** An offline device activated for the user through the APIs, as a bank's helpdesk would; its instance id. */
    private static String firstDevice(String bearer, String userId, String serial, String profile) throws Exception {
        assertEquals(201, send(bearer, "REGISTRATION", "POST", "/api/v1/licences", "application/json", "{\"licences\":[{"
                + "\"serialNumber\":\"" + serial + "\",\"authenticatorType\":\"hardware-offline\",\"licenceModel\":\"MDL\","
                + "\"maxActivations\":1}]}").statusCode());
        HttpResponse<String> registered = send(bearer, "REGISTRATION", "POST", "/api/v1/users/register", "application/json",
                "{\"userId\":\"" + userId + "\",\"serialNumber\":\"" + serial + "\",\"activationType\":\"offline\"}");
        assertEquals(201, registered.statusCode(), registered.body());
        JsonNode registration = JSON.readTree(registered.body());
        String rid = registration.get("registrationId").asText();
        String code = devices.scanActivation(registration.get("activationMessage").asText(), profile);
        HttpResponse<String> added = send(bearer, "PROVISIONING", "POST", "/api/v1/registrations/" + rid + "/device",
                "application/json", "{\"deviceCode\":\"" + code + "\"}");
        assertEquals(200, added.statusCode(), added.body());
        String signature = devices.completeActivation(JSON.readTree(added.body()).get("activationMessage2").asText(), profile);
        HttpResponse<String> activated = send(bearer, "PROVISIONING", "POST", "/api/v1/registrations/" + rid + "/activate",
                "application/json", "{\"deviceCode\":\"" + code + "\",\"signature\":\"" + signature + "\"}");
        assertEquals(200, activated.statusCode(), activated.body());
        return JSON.readTree(activated.body()).get("instanceId").asText();
    }

    private static void assign(String bearer, String serial, String userId) throws Exception {
        HttpResponse<String> assigned = send(bearer, "REGISTRATION", "PUT", "/api/v1/licences/" + serial + "/assignment",
                "application/json", "{\"userId\":\"" + userId + "\"}");
        assertEquals(200, assigned.statusCode(), assigned.body());
    }

    private static String instanceStatus(String instanceId) throws Exception {
        return JSON.readTree(send("PROVISIONING", "GET", "/api/v1/instances/" + instanceId, null, null).body()).path("status").asText();
    }

    private static boolean otpAccepted(String userId, String otp) throws Exception {
        return send("OTP", "POST", "/api/v1/otp/verify", "application/json",
                "{\"userId\":\"" + userId + "\",\"credential\":\"" + otp + "\"}").body().contains("\"accepted\"");
    }

    /** Whether the otp-service holds the user's credential: a wrong code for a user without one counts nothing. */
    private static boolean credentialArrived(String userId) throws Exception {
        String admin = DevTokens.mint(DevKeys.in(dataDir.resolve("keys")).privateKey(), "helpdesk", DOMAIN, List.of("otp-admin"),
                Duration.ofMinutes(5));
        HttpResponse<String> credentials = send(admin, "OTP", "GET", "/api/v1/otp/admin/users/" + userId + "/credentials", null, null);
        return credentials.statusCode() == 200 && credentials.body().contains("instanceId");
    }

    /** other.example's own portal, sharing the suite's Redis and services; its push-service address answers nothing. */
    private static int startOtherPortal() throws Exception {
        int port = Ports.free();
        ProcessBuilder builder = new ProcessBuilder(UpCommand.javaBinary(), "-Xmx192m", "-jar",
                home().resolve("portal/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("logs/portal-other.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("COUNTERSIGN_DATA_DIR", dataDir.toString());
        env.put("COUNTERSIGN_PORTAL_DOMAIN", OTHER_DOMAIN);
        // Its own key id, which the services bind to its domain (Suite.ENV), as each tenant's portal has.
        env.put("COUNTERSIGN_PORTAL_SERVICE_TOKEN_KEY_ID", Suite.OTHER_PORTAL_KEY_ID);
        env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + port("REDIS"));
        for (String service : List.of("REGISTRATION", "PROVISIONING", "VISUAL_CODES", "OTP")) {
            env.put("COUNTERSIGN_PORTAL_SERVICES_" + service + "_URL", "http://127.0.0.1:" + port(service));
        }
        env.put("COUNTERSIGN_PORTAL_SERVICES_PUSH_URL", "http://127.0.0.1:" + Ports.free());
        otherPortal = builder.start();
        awaitTrue(() -> {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        }, "other.example's portal is ready");
        return port;
    }

    /** Debian's chromium and chromedriver, installed by scripts/install-chromium.sh when missing. */
    private static List<String> installChromium() throws Exception {
        Process process = new ProcessBuilder("bash", home().resolve("scripts/install-chromium.sh").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES) && process.exitValue() == 0, "scripts/install-chromium.sh failed");
        List<String> lines = out.lines().toList();
        assertEquals(2, lines.size(), out);
        return lines;
    }
}
