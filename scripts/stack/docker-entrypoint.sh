#!/bin/sh
# Container entry point: runs one Homeward app (APP or the first argument) or the admin CLI.
#   homeward                    -> the app named by $APP
#   homeward <app>              -> that app (gateway identity community-correction resettlement aftercare alerts)
#   homeward cli <command> ...  -> node dist/cli/scripts/cli.js <command> ...
set -eu
app="${1:-${APP:-}}"
[ $# -gt 0 ] && shift
case "$app" in
  cli)
    exec node dist/cli/scripts/cli.js "$@" ;;
  gateway|identity|community-correction|resettlement|aftercare|alerts)
    exec node "dist/apps/$app/apps/$app/src/main.js" "$@" ;;
  *)
    echo "usage: homeward <gateway|identity|community-correction|resettlement|aftercare|alerts|cli ...> (or set APP)" >&2
    exit 2 ;;
esac
