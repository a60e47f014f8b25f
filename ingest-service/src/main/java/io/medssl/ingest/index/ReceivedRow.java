package io.medssl.ingest.index;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An accepted object waiting to be processed (see V2__received.sql). */
@Entity
@Table(name = "received")
public class ReceivedRow {
    @Id
    @Column(name = "instance_id")
    public String instanceId;
    public String dataset;
    @Column(name = "calling_ae")
    public String callingAe;
    @Column(name = "received_at")
    public Instant receivedAt;
}
