package org.countersign.stack;

/** The standard Quarkus environment variables that point the suite at infrastructure it does not start. */
public final class ExternalEndpoints {

    public static final String KAFKA_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String POSTGRES_REACTIVE_ENV = "QUARKUS_DATASOURCE_REACTIVE_URL";
    public static final String POSTGRES_JDBC_ENV = "QUARKUS_DATASOURCE_JDBC_URL";
    public static final String POSTGRES_USER_ENV = "QUARKUS_DATASOURCE_USERNAME";
    public static final String POSTGRES_PASSWORD_ENV = "QUARKUS_DATASOURCE_PASSWORD";
    public static final String REDIS_ENV = "QUARKUS_REDIS_HOSTS";

    private ExternalEndpoints() {
    }
}
