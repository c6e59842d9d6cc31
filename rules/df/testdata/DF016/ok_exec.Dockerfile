# syntax=docker/dockerfile:1
# Near miss: the script ends with exec (also inside an if/else).
FROM node:22-slim
WORKDIR /app
COPY . .
COPY <<'EOF' /entrypoint.sh
#!/bin/sh
set -e
if [ "$1" = "migrate" ]; then
  exec node migrate.js
else
  exec "$@"
fi
EOF
ENTRYPOINT ["/entrypoint.sh"]
CMD ["node", "server.js"]
