FROM node:22 AS build
WORKDIR /app
RUN npm ci

# A digest without a tag does not say which variant it is.
FROM node@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY --from=build /app /app
CMD ["node", "/app/server.js"]
