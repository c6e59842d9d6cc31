# syntax=docker/dockerfile:1
FROM node:22-slim
ADD --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c \
    https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
# A git source pinned to a commit.
ADD https://github.com/acme/lib.git#0123456789abcdef0123456789abcdef01234567 /src/lib
ADD vendor.tar.gz /opt/
ENTRYPOINT ["/tini", "--"]
CMD ["node", "server.js"]
