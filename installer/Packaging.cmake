# CPack: filled in below
