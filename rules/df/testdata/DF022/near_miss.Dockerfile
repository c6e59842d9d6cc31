# syntax=docker/dockerfile:1
FROM node:22-slim
# Names that only look alike.
ENV PASSPORT_URL=https://auth.example.com \
    AUTHOR=me \
    BYPASS_CACHE=1 \
    NODE_TLS_REJECT_UNAUTHORIZED=1 \
    NODE_AUTH_TOKEN_FILE=/run/secrets/npm \
    GOOGLE_APPLICATION_CREDENTIALS_PATH=/etc/gcp.json \
    AUTH_URL=https://auth.example.com \
    AUTH_ENABLED=true \
    TOKEN_EXPIRY=3600 \
    KEYBOARD=us
# An empty value sets nothing secret.
ENV NPM_TOKEN=""
# A URL whose password is a variable does not embed it.
ENV REDIS_URL=redis://default:${REDIS_PASS_VAR}@redis:6379
ENV HOME_URL=https://user@example.com/path \
    MONGO_URL=mongodb://${MONGO_USER}:${MONGO_PASSWORD}@mongo:27017/app
# ARGs used only to name a BuildKit secret.
ARG NPM_TOKEN_SECRET_ID=npm
ARG SECRET_ID=npmrc
ARG NODE_AUTH_TOKEN
RUN --mount=type=secret,id=${SECRET_ID},target=/root/.npmrc \
    --mount=type=secret,id=$NPM_TOKEN_SECRET_ID,env=NODE_AUTH_TOKEN \
    npm ci --omit=dev && echo "$NODE_AUTH_TOKEN" | wc -c
CMD ["node", "server.js"]
# Build-time stand-ins, not credentials.
ENV DATABASE_URL="postgresql://user:pass@localhost:5432/dummy" \
    PRISMA_URL=mysql://root:placeholder@db:3306/app \
    PASSWORD_LOGIN_ENABLED=true
