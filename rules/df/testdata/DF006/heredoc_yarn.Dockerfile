# syntax=docker/dockerfile:1
FROM node:22-bookworm-slim
WORKDIR /app
COPY . .
RUN <<EOF
yarn install --frozen-lockfile
# want +1 DF006 "`yarn build`"
yarn build
EOF
CMD ["node", "build/index.js"]
