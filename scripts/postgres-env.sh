# Shared settings of the local PostgreSQL scripts (sourced): where its server binaries are, who runs it, where its
# data lives.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${POSTGRES_PORT:-5433}"

BIN=""
for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
  if [ -x "$dir/pg_ctl" ]; then BIN="$dir"; break; fi
done

# Who runs the server: never root. As root it runs as the system user retail-postgres.
RUN=()
[ "$(id -u)" != 0 ] || RUN=(runuser -u retail-postgres --)
# From /, so a checkout the server's user cannot enter is not its working directory.
as_server() { (cd / && "${RUN[@]}" "$@"); }

# Its folder: .postgres/ in the checkout (git-ignored), unless the server's user cannot reach the checkout (a clone
# in a folder only root may enter, as mktemp -d makes): then a folder of its own under /var/lib, one per checkout.
HOME_DIR="$ROOT/.postgres"
if [ "${#RUN[@]}" -gt 0 ] && id retail-postgres >/dev/null 2>&1 && ! as_server test -x "$ROOT"; then
  HOME_DIR="/var/lib/retail-stream-postgres/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
fi
DATA="$HOME_DIR/data"
