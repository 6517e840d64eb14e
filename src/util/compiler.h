/* util/compiler.h: attributes shared by the whole tree. */
#ifndef OF_UTIL_COMPILER_H
#define OF_UTIL_COMPILER_H

#if defined(__GNUC__) || defined(__clang__)
#define OF_MUST_CHECK   __attribute__((warn_unused_result))
#define OF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define OF_LIKELY(x)    __builtin_expect(!!(x), 1)
#define OF_UNLIKELY(x)  __builtin_expect(!!(x), 0)
#else
#define OF_MUST_CHECK
#define OF_PRINTF(f, a)
#define OF_LIKELY(x)   (x)
#define OF_UNLIKELY(x) (x)
#endif

#define OF_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
