FROM node:22 AS build
WORKDIR /app
RUN npm ci

# distroless :nonroot defaults to uid 65532.
FROM gcr.io/distroless/nodejs22-debian12:nonroot
COPY --from=build /app /app
CMD ["/app/server.js"]
