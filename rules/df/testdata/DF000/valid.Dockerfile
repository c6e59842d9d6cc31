# syntax=docker/dockerfile:1
FROM node:22-slim
RUN <<EOF
set -e
npm ci
EOF
CMD ["node", "server.js"]
