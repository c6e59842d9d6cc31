# syntax=docker/dockerfile:1
FROM node:22-slim
WORKDIR /app
COPY . .
# want +5 DF016 "entrypoint script /usr/local/bin/start.sh ends with `node server.js` without `exec`"
COPY <<EOF /usr/local/bin/start.sh
#!/bin/sh
set -e
node migrate.js
node server.js
EOF
RUN chmod +x /usr/local/bin/start.sh
USER node
ENTRYPOINT ["/usr/local/bin/start.sh"]
