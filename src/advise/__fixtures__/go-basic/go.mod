module github.com/example/hello

go 1.22.3

toolchain go1.23.4

require github.com/go-chi/chi/v5 v5.1.0
