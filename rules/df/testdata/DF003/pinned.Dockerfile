FROM node:22.11.0-bookworm@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS build
WORKDIR /app
RUN npm ci
# A digest without a tag still pins the image.
FROM node@sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210 AS runtime
# Scratch, stage references and unresolvable references are not reported.
FROM scratch AS empty
ARG RUNTIME_IMAGE
FROM ${RUNTIME_IMAGE} AS dynamic
FROM build
CMD ["node", "server.js"]
