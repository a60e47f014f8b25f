package io.medssl.ingest.index;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Pseudonym → original identifier; PHI that never leaves ingest (see V1__index.sql). */
@Entity
@Table(name = "pseudonym")
public class PseudonymRow {
    @Id
    public String pseudonym;
    public String kind;
    public String original;
}
