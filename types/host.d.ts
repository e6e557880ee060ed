// Host programs use Node's own types; nothing extra is declared here yet.
export {};
