ARG NODE=22
FROM node:${NODE}-alpine AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
# want +1 DF009 "`--production` is deprecated since npm 7 \\(in `npm prune`\\)"
RUN npm prune --production

FROM node:22-slim
WORKDIR /app
COPY package*.json ./
# want +2 DF009 "`--only=production` is deprecated"
RUN apt-get update \
 && npm ci \
      --only=production \
 && npm cache clean --force
# Appears twice on the line: reported, not fixed.
# want +1 DF009 "`--only=prod` is deprecated" DF009 "`--only=prod` is deprecated"
RUN npm install --only=prod && npm ci --only=prod
# Two-word form: reported, not fixed.
# want +1 DF009 "`--only production`"
RUN npm ci --only production
COPY --from=build /app/dist ./dist
CMD ["node", "dist/server.js"]
