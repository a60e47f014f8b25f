-- The DICOM node indexes an instance when it accepts it (object fsync'ed in the accept journal),
-- before answering the C-STORE, so QIDO-RS finds it at once: identifiers, modality, SOP class and
-- geometry are known from its header. Its array, de-identified copy and announcement follow; until
-- then processed is false (pixel_key and deidentified_key are null, decodable not yet known).
ALTER TABLE instance ADD COLUMN processed BOOLEAN DEFAULT TRUE NOT NULL;
