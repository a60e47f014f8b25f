-- Training jobs: what was asked (request JSON, defaults filled in), where the job is, what it produced.
CREATE TABLE training_job (
    id               VARCHAR(36)   PRIMARY KEY,
    type             VARCHAR(16)   NOT NULL,
    dataset          VARCHAR(128)  NOT NULL,
    state            VARCHAR(16)   NOT NULL,
    request          TEXT          NOT NULL,
    step             INTEGER       NOT NULL DEFAULT 0,
    steps            INTEGER       NOT NULL DEFAULT 0,
    loss             REAL,
    images_per_second DOUBLE PRECISION,
    checkpoint_step  INTEGER       NOT NULL DEFAULT 0,
    checkpoint_key   VARCHAR(512),
    model_name       VARCHAR(128),
    model_version    INTEGER,
    metrics          TEXT,
    error            TEXT,
    cancel_requested BOOLEAN       NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMP     NOT NULL,
    updated_at       TIMESTAMP     NOT NULL
);
CREATE INDEX training_job_state ON training_job (state);
CREATE INDEX training_job_dataset ON training_job (dataset);
