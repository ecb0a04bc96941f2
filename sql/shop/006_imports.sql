-- The admin's CSV imports (issue 10): a file of their own so that a
-- shop made before them, whose tables stand at 005, gets the table too.
-- A CSV import (shop/imports.h): the file a staff member uploaded
-- (file_name as sent, path under upload_dir: private, never served),
-- its state (uploaded -> previewing -> previewed -> importing -> done;
-- failed or cancelled), the progress of the run in hand (bytes of the
-- file read of bytes_total) and what the preview and the import found
-- as JSON (counts, refused rows with line, reason msgid and detail).
-- souk-worker's "catalog.import" job writes the progress and reports.
CREATE TABLE IF NOT EXISTS {p}imports (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	staff_id	BIGINT UNSIGNED NOT NULL,
	file_name	VARCHAR(255) NOT NULL,
	path		VARCHAR(200) CHARACTER SET ascii NOT NULL,
	format		VARCHAR(16) CHARACTER SET ascii NOT NULL DEFAULT '',
	state		ENUM('uploaded', 'previewing', 'previewed',
			    'importing', 'done', 'failed', 'cancelled')
			    NOT NULL DEFAULT 'uploaded',
	bytes_done	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	bytes_total	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	preview		MEDIUMTEXT NULL,
	report		MEDIUMTEXT NULL,
	created_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at	DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
			    ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
