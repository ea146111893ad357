#!/usr/bin/env bash
# Start a local Request Tracker 5 (Debian's request-tracker5 + rt5-standalone + rt5-db-sqlite)
# for the request-tracker connector's tests against a real server.
#
# Idempotent and non-interactive (CI runs it as root with no stdin on Debian 12):
#   1. installs the packages if missing (debconf preseeded: SQLite, root password "password");
#   2. makes sure the SQLite database is initialised;
#   3. writes a small site config (empty WebPath, WebBaseURL on this port, no outgoing mail,
#      a cheap bcrypt cost) and restarts a server it started earlier if that config changed;
#   4. applies the hub's setup through RT's own perl API (idempotent): the ticket custom field
#      HubTicketId on every queue, OwnTicket for Privileged, users hub-alice and hub-bob
#      (password "password"), and a least-privilege user hub-sync with an auth token;
#   5. starts `rt-server --port $RT_PORT` (loopback only) in the background unless something
#      RT-like already answers there;
#   6. waits (bounded) until /REST/2.0/rt answers root/password, then prints (stdout, the only
#      line there) RT_URL=http://127.0.0.1:PORT. Progress and errors go to stderr.
# A fresh install took 57 s on a Debian 12 container (about 50 s of it apt).
#
# Environment: RT_PORT (8089), RT_QUEUE (General), RT_START_TIMEOUT seconds (90),
# RT_STATE_DIR (/var/lib/rt-hub: server log, pid file, hub-sync token).
set -euo pipefail

RT_PORT="${RT_PORT:-8089}"
RT_QUEUE="${RT_QUEUE:-General}"
RT_START_TIMEOUT="${RT_START_TIMEOUT:-90}"
RT_STATE_DIR="${RT_STATE_DIR:-/var/lib/rt-hub}"
RT_URL="http://127.0.0.1:${RT_PORT}"
RT_LIB=/usr/share/request-tracker5/lib
RT_SERVER=/usr/share/request-tracker5/libexec/rt-server
SITE_CONFIG=/etc/request-tracker5/RT_SiteConfig.d/99-hub-local.pm
LOG="${RT_STATE_DIR}/rt-server-${RT_PORT}.log"
PID_FILE="${RT_STATE_DIR}/rt-server-${RT_PORT}.pid"
TOKEN_FILE="${RT_STATE_DIR}/hub-sync.token"
PACKAGES=(request-tracker5 rt5-standalone rt5-db-sqlite curl)

say() { echo "start-rt: $*" >&2; }
die() { echo "start-rt: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it installs packages and writes /etc/request-tracker5)"
mkdir -p "$RT_STATE_DIR"
chmod 700 "$RT_STATE_DIR"

# HTTP status of an unauthenticated GET /REST/2.0/ (000 when nothing listens). RT answers 401.
rest_status() { curl -s -o /dev/null -m 5 -w '%{http_code}' "${RT_URL}/REST/2.0/" 2>/dev/null || true; }
# HTTP status of an authenticated GET /REST/2.0/rt (200 with the version once RT is up).
rest_ready() { curl -s -o /dev/null -m 5 -w '%{http_code}' -u root:password "${RT_URL}/REST/2.0/rt" 2>/dev/null || true; }

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
  done
}

install_packages() {
  local missing
  missing="$(missing_packages | tr '\n' ' ')"
  [ -z "${missing// /}" ] && return 0
  say "installing: ${missing}(takes about a minute on a fresh machine)"
  export DEBIAN_FRONTEND=noninteractive
  # Preseed every debconf question so nothing prompts; the root password is RT's documented default.
  debconf-set-selections <<EOF
request-tracker5 request-tracker5/dbconfig-install boolean true
request-tracker5 request-tracker5/database-type select sqlite3
request-tracker5 request-tracker5/initial-root-password password password
request-tracker5 request-tracker5/rtname string rt.hub.local
request-tracker5 request-tracker5/organization string hub.local
request-tracker5 request-tracker5/correspondaddress string rt@hub.local
request-tracker5 request-tracker5/commentaddress string rt-comment@hub.local
request-tracker5 request-tracker5/webbaseurl string ${RT_URL}
request-tracker5 request-tracker5/webpath string /rt
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean true
request-tracker5 request-tracker5/install-cronjobs boolean false
man-db man-db/auto-update boolean false
EOF
  if ! apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >"${RT_STATE_DIR}/apt.log" 2>&1; then
    say "apt-get install failed; refreshing package lists and retrying"
    apt-get update -q >>"${RT_STATE_DIR}/apt.log" 2>&1 || true
    apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >>"${RT_STATE_DIR}/apt.log" 2>&1 \
      || { tail -n 30 "${RT_STATE_DIR}/apt.log" >&2; die "could not install ${missing}"; }
  fi
}

write_site_config() {
  # Loaded after the Debian snippets (50-debconf, 51-dbconfig-common), so these win.
  # WebPath "" serves REST2 at /REST/2.0/ (Debian's "/" gives double slashes in _url links).
  # MailCommand testfile: this throwaway RT never sends mail (scrips still run and record it).
  local want
  want="$(cat <<EOF
# Written by scripts/start-rt.sh for the co-managed hub's tests. Safe to delete.
Set(\$WebPath, "");
Set(\$WebBaseURL, "${RT_URL}");
Set(\$MailCommand, "testfile");
# REST2 keeps no session: every request checks the password or token with bcrypt. At RT's
# default cost (12) that is ~0.4 s per request here; cost 4 keeps the test suite fast.
Set(\$BcryptCost, 4);
1;
EOF
)"
  if [ ! -f "$SITE_CONFIG" ] || [ "$(cat "$SITE_CONFIG")" != "$want" ]; then
    CONFIG_CHANGED=1
    printf '%s\n' "$want" >"$SITE_CONFIG"
    chown root:www-data "$SITE_CONFIG" 2>/dev/null || true
    chmod 640 "$SITE_CONFIG"
  fi
}

database_path() {
  perl -I"$RT_LIB" -MRT -e 'RT::LoadConfig(); print RT->Config->Get("DatabaseName")' 2>/dev/null
}

ensure_database() {
  local db
  db="$(database_path)" || die "cannot read RT's configuration"
  [ -n "$db" ] || die "RT has no DatabaseName configured"
  if [ -s "$db" ] && sqlite3 "$db" 'SELECT count(*) FROM Users;' >/dev/null 2>&1; then
    return 0
  fi
  say "initialising the SQLite database at ${db}"
  mkdir -p "$(dirname "$db")"
  rm -f "$db"
  local pw
  pw="$(mktemp)"
  echo password >"$pw"
  /usr/sbin/rt-setup-database-5 --action init --root-password-file "$pw" </dev/null \
    >"${RT_STATE_DIR}/setup-database.log" 2>&1 \
    || { rm -f "$pw"; tail -n 30 "${RT_STATE_DIR}/setup-database.log" >&2; die "rt-setup-database failed"; }
  rm -f "$pw"
  chown root:www-data "$db" "$(dirname "$db")" 2>/dev/null || true
  chmod 660 "$db"
}

# The hub's setup through RT's perl API, idempotent. REST2 on 5.0.3 can create users and the
# custom field (POST /user, POST /customfield with "Queue") but has no endpoint for rights or
# auth tokens, so everything is done here in one place.
HUB_SETUP_PERL=$(cat <<'PERL'
use strict;
use warnings;
use RT;
RT::LoadConfig();
RT::Init();

my $sys = RT->SystemUser;
sub note { print "setup: $_[0]\n" }
sub check_ok { my ($what, $ok, $msg) = @_; die "$what: $msg\n" unless $ok; note("$what: $msg") }

my $queue = RT::Queue->new($sys);
$queue->Load($ENV{RT_HUB_QUEUE});
unless ($queue->id) {
    check_ok("queue $ENV{RT_HUB_QUEUE}", $queue->Create(Name => $ENV{RT_HUB_QUEUE}));
}

# The correlation key: a single-value free-form ticket custom field, applied to the queue.
my $cf = RT::CustomField->new($sys);
$cf->LoadByName(Name => 'HubTicketId', LookupType => RT::Ticket->CustomFieldLookupType, IncludeGlobal => 1);
unless ($cf->id) {
    check_ok('custom field HubTicketId', $cf->Create(
        Name => 'HubTicketId', Type => 'Freeform', MaxValues => 1,
        LookupType => RT::Ticket->CustomFieldLookupType,
        Description => 'The co-managed hub ticket id (correlation key)',
    ));
}
check_ok('custom field HubTicketId enabled', $cf->SetDisabled(0)) if $cf->Disabled;
# Applied to every queue, so the tests' throwaway queues (created through REST2) carry it too.
unless ($cf->IsGlobal) {
    my $global = RT::Queue->new($sys);
    check_ok('HubTicketId applied to all queues', $cf->AddToObject($global));
}

sub grant {
    my ($principal, $right, $object) = @_;
    my ($ok, $msg) = $principal->GrantRight(Right => $right, Object => $object);
    die "grant $right: $msg\n" unless $ok || $msg =~ /already has/i;
    note("granted $right") if $ok;
}

# Only users with OwnTicket can be owners: every privileged user, on every queue.
my $privileged = RT::Group->new($sys);
$privileged->LoadSystemInternalGroup('Privileged');
grant($privileged->PrincipalObj, 'OwnTicket', RT->System);

sub ensure_user {
    my (%args) = @_;
    my $user = RT::User->new($sys);
    $user->Load($args{Name});
    unless ($user->id) {
        check_ok("user $args{Name}", $user->Create(%args, Privileged => 1));
    }
    $user->SetPrivileged(1) unless $user->Privileged;
    return $user;
}

ensure_user(Name => 'hub-alice', RealName => 'Alice Agent', EmailAddress => 'alice@hub.local', Password => 'password');
ensure_user(Name => 'hub-bob', RealName => 'Bob Agent', EmailAddress => 'bob@hub.local', Password => 'password');

# Re-hash passwords made at another bcrypt cost (the install uses 12; the site config says 4).
my $cost = RT->Config->Get('BcryptCost');
for my $name (qw(root hub-alice hub-bob)) {
    my $user = RT::User->new($sys);
    $user->Load($name);
    my ($stored_cost) = ($user->__Value('Password') // '') =~ /^!bcrypt!(\d+)!/;
    next unless defined $stored_cost && $stored_cost != $cost;
    check_ok("password of $name re-hashed at bcrypt cost $cost", $user->SetPassword('password'));
}

# The least-privilege integration user the README recommends, with an auth token.
my $sync = ensure_user(Name => 'hub-sync', RealName => 'Co-managed hub', EmailAddress => 'hub-sync@hub.local');
# Granted on every queue (RT->System) so it also works in the tests' throwaway queues; a
# production setup would grant the same rights on the one queue (see the connector README).
grant($sync->PrincipalObj, $_, RT->System) for qw(
    SeeQueue ShowTicket CreateTicket ModifyTicket ReassignTicket ReplyToTicket CommentOnTicket ShowTicketComments
);
grant($sync->PrincipalObj, $_, $cf) for qw(SeeCustomField ModifyCustomField);

my $file = $ENV{RT_HUB_TOKEN_FILE};
my $valid = 0;
if (-s $file) {
    open my $in, '<', $file or die "read $file: $!\n";
    chomp(my $existing = <$in> // '');
    close $in;
    require RT::Authen::Token;
    my ($user, $token) = RT::Authen::Token->UserForAuthString($existing);
    my ($token_cost) = $token ? (($token->__Value('Token') // '') =~ /^!bcrypt!(\d+)!/) : ();
    $valid = $user && $user->id == $sync->id && defined $token_cost && $token_cost == $cost;
    $token->Delete if $token && !$valid;
}
unless ($valid) {
    my $token = RT::AuthToken->new(RT::CurrentUser->new($sys));
    my ($id, $msg, $auth) = $token->Create(Owner => $sync->id, Description => 'co-managed hub tests');
    die "auth token: $msg\n" unless $id;
    umask 077;
    open my $out, '>', $file or die "write $file: $!\n";
    print $out "$auth\n";
    close $out;
    note("new auth token for hub-sync written to $file");
}
note('done');
PERL
)

apply_hub_setup() {
  RT_HUB_QUEUE="$RT_QUEUE" RT_HUB_TOKEN_FILE="$TOKEN_FILE" \
    perl -I"$RT_LIB" -e "$HUB_SETUP_PERL" >"${RT_STATE_DIR}/setup.log" 2>&1 \
    || { tail -n 30 "${RT_STATE_DIR}/setup.log" >&2; die "the hub setup (custom field, users, rights) failed"; }
  grep '^setup:' "${RT_STATE_DIR}/setup.log" >&2 || true
}

# A server this script started keeps its old configuration until restarted.
restart_if_config_changed() {
  [ "$CONFIG_CHANGED" = 1 ] || return 0
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    say "site configuration changed; restarting rt-server (pid ${pid})"
    kill "$pid"
    local deadline=$((SECONDS + 30))
    while [ "$(rest_status)" != 000 ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 1; done
  elif [ "$(rest_status)" != 000 ]; then
    say "WARNING: site configuration changed but the RT on port ${RT_PORT} was not started by this script; restart it yourself"
  fi
}

start_server() {
  local status
  status="$(rest_status)"
  if [ "$status" = 401 ] || [ "$status" = 200 ] || [ "$status" = 404 ]; then
    say "something already answers on ${RT_URL}/REST/2.0/ (HTTP ${status}); not starting another"
    return 0
  fi
  [ "$status" = 000 ] || die "port ${RT_PORT} answers HTTP ${status} but does not look like RT; pick another RT_PORT"
  say "starting rt-server on port ${RT_PORT} (log: ${LOG})"
  # setsid + nohup: the server outlives this script and CI's step; --host keeps it on loopback.
  setsid nohup "$RT_SERVER" --host 127.0.0.1 --port "$RT_PORT" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
}

wait_ready() {
  local deadline=$((SECONDS + RT_START_TIMEOUT)) pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  local status
  while [ "$SECONDS" -lt "$deadline" ]; do
    status="$(rest_ready)"
    [ "$status" = 200 ] && return 0
    [ "$status" = 401 ] && die "RT answers on ${RT_URL} but refuses root/password"
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && [ "$(rest_status)" = 000 ]; then
      tail -n 40 "$LOG" >&2 || true
      die "rt-server (pid ${pid}) exited before answering"
    fi
    sleep 1
  done
  tail -n 40 "$LOG" >&2 || true
  die "RT did not answer ${RT_URL}/REST/2.0/rt with HTTP 200 within ${RT_START_TIMEOUT}s"
}

CONFIG_CHANGED=0
install_packages
write_site_config
ensure_database
apply_hub_setup
restart_if_config_changed
start_server
wait_ready
say "ready; hub-sync token in ${TOKEN_FILE} (users: root/password, hub-alice, hub-bob)"
echo "RT_URL=${RT_URL}"
