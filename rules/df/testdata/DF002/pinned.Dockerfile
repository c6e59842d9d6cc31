# Tags that are not `latest` are DF001/DF005 business, not this rule's.
ARG NODE=22
FROM node:${NODE}-slim AS base
FROM node:lts-alpine AS tools
FROM node AS untagged
FROM ghcr.io/acme/builder:latest-2024 AS other
FROM scratch AS empty
ARG UNSET
FROM ${UNSET} AS dynamic
FROM base
CMD ["node", "server.js"]
