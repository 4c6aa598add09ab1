-- audit: the entries about one record
-- A case's timeline (app/casework.h) reads the audit entries about the case and its orders by
-- target (audit/audit.h AuditLog::About), without reading the whole log.
CREATE INDEX audit_log_by_target ON audit_log (target);
