FROM node:22 AS build
WORKDIR /src
COPY . .
RUN npm ci && npm run build
# A build stage is thrown away: nothing here is shipped.
RUN rm -rf node_modules

FROM node:22-slim
RUN apt-get update && apt-get install -y --no-install-recommends tini
# want +1 DF029 "RUN only cleans up [(]`apt-get clean`[)]: the files stay in the earlier layers"
RUN apt-get clean && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
# want +1 DF029 "`npm cache clean --force`"
RUN npm cache clean --force
COPY . .
# want +1 DF029 "`rm -rf tests docs`"
RUN rm -rf tests docs
COPY scripts/ /tmp/scripts/
RUN /tmp/scripts/setup.sh
# want +1 DF029 "`rm -rf /tmp/scripts`"
RUN set -eux; \
    rm -rf /tmp/scripts; \
    echo cleaned
# want +1 DF029 "`find /app -name [*].map -delete`"
RUN find /app -name "*.map" -delete
CMD ["node", "server.js"]
