package org.countersign.registration.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.countersign.registration.service.PskcException.Reason;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses PSKC documents with every XML feature that can reach outside the document, or expand it,
 * switched off, and walks the resulting DOM. The JDK's own parser is asked for by name
 * ({@code newDefaultInstance}) so a parser on the class path cannot silently drop these settings.
 */
final class PskcXml {

    static final String PSKC = "urn:ietf:params:xml:ns:keyprov:pskc";
    static final String XENC = "http://www.w3.org/2001/04/xmlenc#";
    static final String XENC11 = "http://www.w3.org/2009/xmlenc11#";
    static final String DS = "http://www.w3.org/2000/09/xmldsig#";
    static final String PKCS5 = "http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#";

    /** Deep nesting is never needed by PSKC (about 8 levels) and only costs stack. */
    private static final int MAX_ELEMENT_DEPTH = 64;

    private static final ErrorHandler FAIL_QUIETLY = new ErrorHandler() {
        // The default handler prints to stderr, which would copy document text into our logs.
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private PskcXml() {
    }

    static Document parse(byte[] xml) {
        DocumentBuilder builder = hardenedBuilder();
        try {
            return builder.parse(new InputSource(new ByteArrayInputStream(xml)));
        } catch (SAXException | IOException | RuntimeException e) {
            // Parser messages quote the document, so none of them reaches the client.
            if (declaresDoctype(xml)) {
                throw new PskcException(Reason.DTD_FORBIDDEN,
                        "Document type declarations (DTDs) and entities are not allowed in a PSKC document");
            }
            throw new PskcException(Reason.MALFORMED, "The document is not well-formed XML");
        }
    }

    /** A configuration the parser does not accept is our bug, never the document's: it fails loudly. */
    private static DocumentBuilder hardenedBuilder() {
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setErrorHandler(FAIL_QUIETLY);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("External entities are not resolved");
            });
            return builder;
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("The XML parser cannot be hardened", e);
        }
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        f.setValidating(false);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        // A DOCTYPE is where entities live (external ones and billion laughs alike): refuse it outright.
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", String.valueOf(MAX_ELEMENT_DEPTH));
        return f;
    }

    /** Only chooses the wording of a refusal; the parser has already refused the document either way. */
    private static boolean declaresDoctype(byte[] xml) {
        return new String(xml, StandardCharsets.ISO_8859_1).contains("<!DOCTYPE");
    }

    static boolean is(Node node, String namespace, String localName) {
        return node instanceof Element && namespace.equals(node.getNamespaceURI()) && localName.equals(node.getLocalName());
    }

    static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (is(n, namespace, localName)) {
                found.add((Element) n);
            }
        }
        return found;
    }

    /** The only child of that name; two of them make the document ambiguous, so it is refused. */
    static Optional<Element> child(Element parent, String namespace, String localName) {
        List<Element> found = children(parent, namespace, localName);
        if (found.size() > 1) {
            throw malformed("An element that may occur once occurs " + found.size() + " times");
        }
        return found.stream().findFirst();
    }

    /**
     * A child matched by local name in any namespace: RFC 6030 Figure 7 writes the children of
     * {@code pkcs5:PBKDF2-params} without a prefix under a prefixed root, so they have no namespace.
     */
    static Optional<Element> childByLocalName(Element parent, String localName) {
        Element found = null;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && localName.equals(n.getLocalName())) {
                if (found != null) {
                    throw malformed("An element that may occur once occurs twice");
                }
                found = (Element) n;
            }
        }
        return Optional.ofNullable(found);
    }

    static Optional<String> text(Element parent, String namespace, String localName) {
        return child(parent, namespace, localName).map(e -> e.getTextContent().strip());
    }

    static Optional<String> attribute(Element element, String name) {
        return element.hasAttribute(name) ? Optional.of(element.getAttribute(name).strip()) : Optional.empty();
    }

    /** Strict Base64 once XML white space is gone: the MIME decoder would skip any stray character. */
    static byte[] base64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text.replaceAll("[ \\t\\r\\n]", ""));
        } catch (IllegalArgumentException e) {
            throw malformed(what + " is not valid Base64");
        }
    }

    static PskcException malformed(String message) {
        return new PskcException(Reason.MALFORMED, message);
    }
}
