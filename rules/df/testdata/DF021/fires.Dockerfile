FROM node:22-slim AS deps
WORKDIR /app
COPY package.json ./
COPY src ./src
# want +1 DF021 "`npm ci --omit=dev` needs `package-lock.json` or `npm-shrinkwrap.json`"
RUN npm ci --omit=dev

FROM node:22-slim AS yarn
WORKDIR /app
# A yarn.lock does not serve npm, and scripts land in a subdirectory.
COPY package.json yarn.lock ./
COPY scripts/ /app/scripts/
# want +1 DF021 "`npm ci` needs `package-lock.json`"
RUN yarn install --frozen-lockfile && npm ci

FROM node:22-slim
WORKDIR /srv
COPY package.json ./
# want +2 DF021 "`pnpm install --prod --frozen-lockfile` needs `pnpm-lock.yaml`"
RUN corepack enable && \
    pnpm install --prod --frozen-lockfile
# want +1 DF021 "`bun install --frozen-lockfile` needs `bun.lock` or `bun.lockb`"
RUN bun install --frozen-lockfile
CMD ["node", "server.js"]
