# Supported LTS majors, unknown majors and stage references are silent.
FROM node:22.11.0-bookworm-slim AS a
FROM node:24-alpine AS b
FROM node:26 AS c
FROM node:krypton AS d
FROM node:lts-slim AS e
FROM node:current AS f
FROM node AS g
FROM gcr.io/distroless/nodejs24-debian12:nonroot AS h
FROM cgr.dev/chainguard/node:latest AS i
# The number in this tag is the JDK version, not the Node major.
FROM timbru31/java-node:11-jdk AS j
# Dev Container images put their own version first: Node 24 here.
FROM mcr.microsoft.com/devcontainers/javascript-node:4-24-trixie AS k
# The 4 is the Functions runtime version, not the Node major.
FROM mcr.microsoft.com/azure-functions/node:4-node22 AS l
FROM a
CMD ["node", "server.js"]
