# want +1 DF001 "base image \"node\" has no tag"
FROM node AS build
RUN npm ci

# A stage reference is not an image.
FROM build
# want +1 DF001 "\"docker.io/library/node\" has no tag"
FROM docker.io/library/node
