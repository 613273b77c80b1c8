#pragma once
#include <stddef.h>
void *memset(void *, int, size_t);
void *memcpy(void *, const void *, size_t);
size_t strlen(const char *);
char *strdup(const char *);
size_t strlcpy(char *, const char *, size_t);
