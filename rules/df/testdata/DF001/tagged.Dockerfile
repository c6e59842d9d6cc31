ARG NODE=22
FROM node:${NODE}-slim AS base
FROM node@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
FROM scratch
FROM base
FROM localhost:5000/node:22
# Unresolvable: no default, so it is not guessed.
ARG IMAGE
FROM ${IMAGE}
