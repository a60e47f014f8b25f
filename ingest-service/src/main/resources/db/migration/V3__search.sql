-- Index searches (QIDO-RS) run in the database: answers are ordered study → series → instance
-- and paged, which this index serves in order (it also serves study lookups, so it replaces
-- instance_study); PatientID is a common QIDO key.
DROP INDEX instance_study;
CREATE INDEX instance_hierarchy ON instance (study_id, series_id, instance_id);
CREATE INDEX instance_patient ON instance (patient_id);
