# syntax=docker/dockerfile:1
FROM node:22-slim
WORKDIR /app
# want +1 DF020 "`pnpm install --prod --frozen-lockfile`"
COPY ./ ./
RUN <<EOF
corepack enable
pnpm install --prod --frozen-lockfile
EOF
CMD ["node", "server.js"]
