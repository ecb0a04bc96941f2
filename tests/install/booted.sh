#!/bin/bash
# tests/install/booted.sh: what a sysadmin does on a new Debian 12 VM, run
# by ../shared/tools/booted-machine tests/install/booted.sh (systemd as
# PID 1): packages, make install (the hardened release build), the souk
# user and database, soukctl from / with no --config, the units
# (socket-activated souk-fcgi, souk-worker), /_health, a German page
# from the installed catalog and theme, HEAD, a reload, make uninstall.
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends build-essential pkg-config libfcgi-dev libfcgi-bin libmariadb-dev mariadb-server mariadb-client mariadb-backup libjson-c-dev libcurl4-openssl-dev libxml2-dev libsodium-dev libicu-dev libvips-dev libsystemd-dev libjwt-dev gettext curl >/tmp/apt.log 2>&1 || { tail -20 /tmp/apt.log; exit 1; }
echo "== make install (release)"; make -s install PREFIX=/usr/local 2>&1 | tail -2
readelf -d /usr/local/bin/souk-fcgi | grep FLAGS
adduser --system --group --home /var/lib/souk souk >/dev/null; chgrp souk /etc/souk/souk.conf /etc/souk/secret.key
pw=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
mariadb -e "CREATE DATABASE souk CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; CREATE USER souk@localhost IDENTIFIED BY '$pw'; GRANT ALL ON souk.* TO souk@localhost"
sed -i "s/^db_password = .*/db_password = $pw/; s/^secure_cookies = 1/secure_cookies = 0/; s/^public_scheme = https/public_scheme = http/" /etc/souk/souk.conf
echo "== soukctl from / with no --config"
(cd / && soukctl migrate && soukctl shop create --slug baeckerei --name Baeckerei --owner-email o@b.example --password-file <(echo 'correct horse battery') && soukctl demo load --slug baeckerei --kind bakery) 2>&1 | tail -3
systemctl daemon-reload
systemctl enable --now souk-fcgi.socket 2>&1 | tail -1
systemctl enable --now souk-worker.service 2>&1 | tail -1; sleep 2; echo "== souk-worker: $(systemctl is-active souk-worker.service)"; journalctl -u souk-worker -n 3 --no-pager | tail -3
q() { env -i REQUEST_METHOD=${M:-GET} REQUEST_URI=$1 SCRIPT_NAME= HTTP_HOST=$2 HTTP_ACCEPT_LANGUAGE=${AL:-en} cgi-fcgi -bind -connect /run/souk/fcgi.sock; }
echo "== /_health through socket activation"; q /_health shop.example | head -c 300; echo
systemctl is-active souk-fcgi.service
echo "== a shop page in German (installed catalog and theme)"; AL=de q / baeckerei.shop.example | grep -o 'Status: [0-9]*\|<html lang="[a-z]*">\|Ausgewählte Produkte\|--primary:[^;]*' | head -4
echo "== HEAD: same header as GET"; M=HEAD q / baeckerei.shop.example | head -5
echo "== media dir"; ls -ld /var/lib/souk/media
echo "== uploads dir (private)"; ls -ld /var/lib/souk/uploads
echo "== catalog export and import with the installed soukctl"
(cd / && soukctl shop export baeckerei --format woo /tmp/baeckerei.csv && soukctl shop create --slug umzug --name Umzug --owner-email o@u.example --password-file <(echo 'correct horse battery') >/dev/null && soukctl shop import umzug /tmp/baeckerei.csv) 2>&1 | grep -v '^line' | tail -4
echo "== the worker unit may write the uploads dir: $(systemctl show -p ReadWritePaths souk-worker.service)"
echo "== usage metering: the counters and nginx's socket"; ls -l /run/souk-usage/ | awk '{print $1, $3, $NF}'
journalctl -u souk-fcgi -u souk-worker --no-pager | grep -i 'usage counters' | head -3
echo "== billing"; (cd / && soukctl billing run) 2>&1 | tail -1
echo "== backups: binary logs on, the timer, a run, list, verify"
cp /usr/local/share/souk/mariadb/60-souk.cnf /etc/mysql/mariadb.conf.d/ && systemctl restart mariadb && mariadb -N -e "SELECT @@log_bin, @@binlog_format"
systemctl enable --now souk-backup.timer 2>&1 | tail -1; systemctl list-timers souk-backup.timer --no-pager | head -2
systemctl start souk-backup.service; echo "souk-backup: $(systemctl show -p Result --value souk-backup.service)"; journalctl -u souk-backup -n 2 --no-pager -o cat | tail -2
(cd / && soukctl backup list && soukctl backup verify) 2>&1 | tail -4; ls -ld /var/backups/souk
echo "== restore one shop to a second of the past"
mariadb -N souk -e "SELECT COUNT(*) FROM s1_products"; sleep 1.2; t=$(date '+%F %T'); sleep 1.2
mariadb souk -e "DELETE FROM s1_products"; (cd / && soukctl shop restore baeckerei --to "$t") 2>&1 | tail -8
mariadb -N souk -e "SELECT COUNT(*) FROM s1_products"; (cd / && soukctl shop restore baeckerei --purge) 2>&1 | tail -1
systemctl reload souk-fcgi.service; sleep 2; systemctl is-active souk-fcgi.service
echo "== the reload executed the installed program (a new release is loaded)"; journalctl -u souk-fcgi --no-pager -o cat | grep -E "reloading: |reload: |workers ready" | tail -3
echo "== usage counters kept across the reload"; ls /run/souk-usage/
systemd-analyze security souk-fcgi.service 2>/dev/null | tail -1
systemctl stop souk-fcgi.service souk-fcgi.socket souk-worker.service; echo "== worker stopped: $(systemctl is-active souk-worker.service)"
echo "== uninstall"; make -s uninstall PREFIX=/usr/local | tail -1
ls /usr/local/bin /usr/local/share/souk /usr/local/lib/systemd/system 2>&1 | head; ls -l /etc/souk
