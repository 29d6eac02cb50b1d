package org.countersign.otp.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * An OCRA challenge (RFC 6287): the question Q given to which token of which user, in which suite.
 * Never the response.
 */
@Entity
@Table(name = "ocra_challenges")
public class OcraChallenge extends Challenge {

    /** The suite Q was drawn for, as the credential had it then. */
    @Column(nullable = false, length = 80)
    public String suite;

    /** Q, in the suite's format. */
    @Column(nullable = false, length = 64)
    public String challenge;

    /** The counter or time step of the accepted response; absent for plain suites and before acceptance. */
    @Column(name = "moving_factor")
    public Long movingFactor;
}
