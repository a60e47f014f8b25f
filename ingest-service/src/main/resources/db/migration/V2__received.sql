-- Where the PS3.15 de-identified copy of the instance is (null: none could be written).
ALTER TABLE instance ADD COLUMN deidentified_key VARCHAR(256);

-- Objects accepted by the DICOM node (original fsync'ed in ingest's area, pseudonyms recorded)
-- and not yet processed (decoded, de-identified copy written, indexed, announced). The C-STORE
-- answer is sent once this row is committed; the processing queue works through it, also after
-- a restart.
CREATE TABLE received (
    instance_id  VARCHAR(64)  PRIMARY KEY,
    dataset      VARCHAR(128) NOT NULL,
    calling_ae   VARCHAR(64),
    received_at  TIMESTAMP    NOT NULL
);
CREATE INDEX received_order ON received (received_at);
