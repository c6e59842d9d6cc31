FROM node:22-alpine AS base
ENV NODE_ENV=development

FROM base
WORKDIR /app
COPY package.json yarn.lock pnpm-lock.yaml ./
# want +1 DF007 "`yarn install --frozen-lockfile` in the final stage"
RUN yarn install --frozen-lockfile
# want +2 DF007 "`pnpm install --frozen-lockfile`"
RUN corepack enable && \
    pnpm install --frozen-lockfile
# --include=dev overrides NODE_ENV=production.
# want +1 DF007 "`npm ci --include=dev`"
RUN NODE_ENV=production npm ci --include=dev
# A prune without flags under NODE_ENV=development removes nothing.
RUN npm prune
CMD ["node", "index.js"]
