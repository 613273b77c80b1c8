#pragma once
#define NAN __builtin_nanf("")
