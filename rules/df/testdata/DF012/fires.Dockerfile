FROM node:22 AS build
WORKDIR /src
COPY . .
# A build stage is thrown away: its layers never ship.
RUN chown -R node:node /src && npm ci && npm run build

FROM node:22-slim
ENV APP_HOME=/home/node/app
WORKDIR ${APP_HOME}
COPY --from=build /src/dist ./dist
COPY package*.json ./
# want +1 DF012 "`chown -R node:node [$]APP_HOME` rewrites files that COPY on line 11 copied into /home/node/app"
RUN chown -R node:node $APP_HOME
RUN npm ci --omit=dev
# want +2 DF012 "`chmod -R 755 dist` rewrites files that COPY on line 10"
RUN apt-get update \
    && chmod -R 755 dist \
    && rm -rf /var/lib/apt/lists/*
# want +1 DF012 "`chown --recursive node .`"
RUN chown --recursive node .
# want +1 DF012 "`chown -hR node:node /home/node`"
RUN sudo chown -hR node:node /home/node
# One finding per RUN: one layer.
# want +1 DF012 "`chown -R node /home/node/app/dist`"
RUN chown -R node /home/node/app/dist && chmod -R 755 /home/node/app/dist
USER node
CMD ["node", "dist/server.js"]
