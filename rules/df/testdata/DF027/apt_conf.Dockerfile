FROM debian:bookworm-slim AS base
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99norecommends

FROM base
# apt's configuration already turns recommends off.
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
