FROM node:22 AS build
WORKDIR /app
COPY . .
RUN npm ci --omit=dev

FROM gcr.io/distroless/nodejs22-debian12:nonroot
WORKDIR /app
COPY --from=build /app /app
# distroless runs node as its ENTRYPOINT.
# want +1 DF015 "`node server.js` runs as PID 1"
CMD ["server.js"]
