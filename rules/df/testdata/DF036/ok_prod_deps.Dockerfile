# Near miss: a production deps stage (NODE_ENV=production, pnpm) copied whole.
FROM node:22 AS deps
ENV NODE_ENV=production
WORKDIR /srv
COPY package.json pnpm-lock.yaml ./
RUN corepack enable && pnpm install --frozen-lockfile

FROM node:22-slim
WORKDIR /srv
COPY --from=deps /srv/ /srv/
COPY dist ./dist
CMD ["node", "dist/server.js"]
