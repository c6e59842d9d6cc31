FROM node:22-slim AS build
WORKDIR /app
# want +1 DF024 "COPY copies `.npmrc` into build stage .build.: an .npmrc can hold a registry token; the stage is not shipped"
COPY package.json package-lock.json .npmrc ./
RUN npm ci

FROM node:22-slim
WORKDIR /app
# want +1 DF024 "COPY copies `.env` into the image: environment files"
COPY .env ./
# want +1 DF024 "COPY copies `config/.env.production`"
COPY --chown=node:node config/.env.production ./config/
# want +1 DF024 "ADD copies `deploy/id_rsa`.*SSH private key"
ADD deploy/id_rsa /root/.ssh/id_rsa
# want +1 DF024 "`certs/server.key`.*private key" DF024 "`certs/privkey.pem`"
COPY certs/server.key certs/privkey.pem /etc/ssl/private/
# want +1 DF024 "`.aws/`.*account credentials"
COPY .aws/ /root/.aws/
# want +1 DF024 "`.npmrc[*]`"
COPY package.json yarn.lock* .npmrc* ./
# want +1 DF024 "`credentials.json`" DF024 "`.git-credentials`"
COPY ["credentials.json", ".git-credentials", "/app/"]
CMD ["node", "server.js"]
