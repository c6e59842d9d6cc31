FROM node:22 AS build
WORKDIR /app
COPY . .
RUN npm ci --omit=dev

FROM gcr.io/distroless/nodejs22-debian12:nonroot
COPY --from=build /app /app
# want +1 DF018 "HEALTHCHECK runs `wget` but gcr.io/distroless/nodejs22-debian12:nonroot has no wget"
HEALTHCHECK CMD ["/bin/sh", "-c", "wget -qO- http://127.0.0.1:3000/health || exit 1"]
CMD ["/app/server.js"]
