# want +1 DF022 "ARG GITHUB_TOKEN looks like a secret: build arguments are recorded"
ARG GITHUB_TOKEN
FROM node:22-slim AS build
# want +1 DF022 "ARG NPM_TOKEN looks like a secret"
ARG NPM_TOKEN
# want +1 DF022 "ARG npmAuthToken looks like a secret and has a default value"
ARG npmAuthToken=abc123
WORKDIR /app
COPY package*.json ./
RUN echo "registry=https://npm.example.com" > .npmrc && npm ci

FROM node:22-slim
# want +1 DF022 "ENV DB_PASSWORD looks like a secret: its value is stored in the image config"
ENV DB_PASSWORD=hunter2
# want +1 DF022 "ENV SMTP_PASS looks like a secret" DF022 "ENV STRIPE_SECRET_KEY looks like a secret"
ENV SMTP_PASS="x" \
    STRIPE_SECRET_KEY=sk_test
# want +1 DF022 "ENV JWT_SECRET looks like a secret"
ENV JWT_SECRET s3cr3t value
# want +1 DF022 "ARG API_KEY looks like a secret"
ARG API_KEY
# want +1 DF022 "ENV API_KEY looks like a secret: the value of `[$][{]API_KEY[}]` it is set from"
ENV API_KEY=${API_KEY}
# want +1 DF022 "ENV DATABASE_URL embeds a URL with a password"
ENV DATABASE_URL="postgres://app:s3cret@db:5432/app"
# want +1 DF022 "ARG AWS_ID has a default that embeds an AWS access key"
ARG AWS_ID=AKIAIOSFODNN7EXAMPLE
# want +1 DF022 "ENV GH embeds a GitHub token"
ENV GH=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB
# want +1 DF022 "ENV BASIC_AUTH looks like a secret"
ENV BASIC_AUTH admin:admin
# want +1 DF022 "ENV AWS_ACCESS_KEY_ID looks like a secret"
ENV AWS_ACCESS_KEY_ID=placeholder
# want +1 DF022 "ENV REDIS_URL embeds a URL with a password"
ENV REDIS_URL=redis://:Zx81kq@cache:6379/0
CMD ["node", "server.js"]
