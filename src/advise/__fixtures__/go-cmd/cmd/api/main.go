package main

import (
	"database/sql"
	"net/http"

	_ "github.com/mattn/go-sqlite3"
)

func main() {
	_, _ = sql.Open("sqlite3", "file.db")
	_ = http.ListenAndServe(":8081", nil)
}
