-- Staff logins are throttled by the platform's souk_login_throttles
-- (fcgi-app/platform/lockout.h), the same as platform accounts: the
-- counts kept in the staff row go. Each new session deletes a few
-- expired ones, found by the key added here. "{p}" is the shop's
-- prefix; every statement is idempotent (soukctl migrate may resume).
ALTER TABLE {p}staff
    DROP COLUMN IF EXISTS failed_logins,
    DROP COLUMN IF EXISTS first_failed_at,
    DROP COLUMN IF EXISTS locked_until
;;
ALTER TABLE {p}sessions ADD KEY IF NOT EXISTS expires (expires_at)
