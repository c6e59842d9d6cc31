FROM node:22-slim
WORKDIR /app
# Archives: unpacking is what ADD is for.
ADD rootfs.tar.gz /
ADD node-v22.11.0-linux-x64.tar.xz /opt/
ADD vendor.tgz bundle.tar /app/vendor/
# Remote sources are DF031's business.
ADD --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
ADD git@github.com:acme/lib.git /src/lib
# A variable could name anything.
ADD ${ARTIFACT} /app/
COPY . .
CMD ["node", "server.js"]
