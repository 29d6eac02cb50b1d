package org.countersign.otp.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * An offline signing challenge (protocol.md, "Offline transaction signing"): which instance of which
 * user is to sign, and the dataHash of what it is to sign. Never the response, nor the message and
 * fields in clear.
 */
@Entity
@Table(name = "signature_challenges")
public class SignatureChallenge extends Challenge {

    @Column(name = "instance_id", nullable = false, length = 64)
    public String instanceId;

    @Column(name = "data_hash", nullable = false, length = 43)
    public String dataHash;
}
