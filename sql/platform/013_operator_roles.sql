-- Operators' roles (fcgi-app/platform/operator.h): an admin may do
-- everything; support may look at everything and change nothing.
ALTER TABLE souk_operators ADD COLUMN IF NOT EXISTS
    role ENUM('admin','support') NOT NULL DEFAULT 'admin'
