# syntax=docker/dockerfile:1
FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json yarn.lock pnpm-lock.yaml ./
RUN npm ci --omit=dev && npm cache clean --force
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
RUN --mount=type=cache,id=yarn,target=/usr/local/share/.cache/yarn yarn install --production --frozen-lockfile
RUN yarn install --production --frozen-lockfile && yarn cache clean
RUN pnpm install --prod --frozen-lockfile && pnpm store prune
RUN npm install -g pm2 && rm -rf /root/.npm
RUN <<EOF
npm ci --omit=dev
npm cache clean --force
EOF
RUN YARN_CACHE_FOLDER=/dev/shm/yarn yarn install --production --frozen-lockfile
RUN npm run start:check
CMD ["node", "server.js"]
