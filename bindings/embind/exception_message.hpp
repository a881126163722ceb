// The message of the C++ exception being handled, read inside catch (...).
//
// Why not catch (const std::exception& e): with Emscripten 3.1.6 (clang 14),
// -fwasm-exceptions and -pthread, no typed catch clause ever matches; every
// exception lands in catch (...). The compiler's landing pads write their
// selector into __wasm_lpad_context as a plain global while libunwind reads
// its thread_local copy (later LLVM versions make the two agree). catch (...)
// and the C++ ABI's record of the current exception both work, so this finds
// std::exception by walking the thrown type's Itanium RTTI up its single
// bases, which is what a typed catch would do for every standard exception.
#pragma once
#include <cxxabi.h>

#include <cstring>
#include <exception>
#include <string>
#include <typeinfo>

namespace quaver_embind {

namespace detail {

// The Itanium C++ ABI layout of abi::__si_class_type_info (a class with one
// public non-virtual base at offset 0), whose declaration libc++abi keeps
// private.
struct SingleBaseTypeInfo : std::type_info {
    const std::type_info* base;
};

inline bool single_base_chain_reaches_std_exception(const std::type_info* type) {
    static const char* const single_base = "N10__cxxabiv120__si_class_type_infoE";
    for (int depth = 0; type != nullptr && depth < 64; ++depth) {
        if (*type == typeid(std::exception)) return true;
        if (std::strcmp(typeid(*type).name(), single_base) != 0) return false;  // no base, or several
        type = static_cast<const SingleBaseTypeInfo*>(type)->base;
    }
    return false;
}

}  // namespace detail

/// Real-time: no (allocates).
/// Returns: what() of the exception being handled if it derives from
/// std::exception through single inheritance (every standard exception
/// does), otherwise a note with the type's (mangled) name where known.
/// Preconditions: called inside a catch block.
inline std::string current_exception_message() {
#ifdef __wasm_exception_handling__
    const std::type_info* type = abi::__cxa_current_exception_type();
    if (detail::single_base_chain_reaches_std_exception(type)) {
        void* object = abi::__cxa_current_primary_exception();  // takes a reference
        std::string message = object ? static_cast<const std::exception*>(object)->what() : "";
        abi::__cxa_decrement_exception_refcount(object);
        return message;
    }
    // The mangled name: abi::__cxa_demangle would add ~60 KiB to the module.
    return std::string("C++ exception of (mangled) type ") + (type ? type->name() : "unknown");
#else
    // Emscripten's JS-based exceptions (-fexceptions) match typed catches
    // (and have no __cxa_current_exception_type).
    try {
        throw;
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "C++ exception of unknown type";
    }
#endif
}

}  // namespace quaver_embind
