FROM node:22-alpine AS build
WORKDIR /app
RUN npm ci

FROM gcr.io/distroless/nodejs22-debian12
COPY --from=build /app /app
CMD ["/app/server.js"]
