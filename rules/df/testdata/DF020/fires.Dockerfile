FROM node:22 AS build
WORKDIR /app
# want +1 DF020 "`COPY --chown=node:node \\. \\.` copies the whole build context \\(\"\\.\"\\) before `npm ci` \\(line 5\\)"
COPY --chown=node:node . .
RUN npm ci
RUN npm run build

FROM node:22-slim
WORKDIR /app
# want +1 DF020 "`ADD \\./ /app/` copies the whole build context"
ADD ./ /app/
RUN apt-get update && \
    yarn install --frozen-lockfile --production
CMD ["node", "server.js"]
