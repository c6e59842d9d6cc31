# syntax=docker/dockerfile:1
FROM node:22-slim
WORKDIR /app
COPY . .
# want +3 DF033 "`cd client` inside RUN"
RUN <<EOF
set -e
cd client
npm ci
EOF
